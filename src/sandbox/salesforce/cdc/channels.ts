/**
 * Change Data Capture channel names (Change Data Capture Developer Guide, "Subscription Channels"): the standard
 * channel /data/ChangeEvents carries the change events of every entity selected for Change Data Capture; each
 * selected entity also has a single-entity channel, /data/<Object>ChangeEvent for a standard object and
 * /data/<Name>__ChangeEvent for a custom object Name__c. Channel names are case-sensitive.
 */

export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';

/** The entities revloop syncs; selected for Change Data Capture in the sandbox org by default. */
export const DEFAULT_CDC_ENTITIES = ['Lead', 'Contact', 'Account', 'Opportunity', 'OpportunityContactRole'] as const;

/** The single-entity channel of an object. */
export function entityChannel(entityName: string): string {
  return entityName.endsWith('__c') ? `/data/${entityName.slice(0, -3)}__ChangeEvent` : `/data/${entityName}ChangeEvent`;
}

/** The channels selected for Change Data Capture, and which entity each single-entity channel carries. */
export class ChannelDirectory {
  private readonly byChannel = new Map<string, string>();

  constructor(entities: readonly string[]) {
    for (const entity of entities) this.byChannel.set(entityChannel(entity), entity);
  }

  /** Every channel a client may subscribe to. */
  get channels(): string[] {
    return [ALL_CHANGE_EVENTS_CHANNEL, ...this.byChannel.keys()];
  }

  get entities(): string[] {
    return [...this.byChannel.values()];
  }

  isSelected(entityName: string): boolean {
    return this.byChannel.has(entityChannel(entityName));
  }

  exists(channel: string): boolean {
    return channel === ALL_CHANGE_EVENTS_CHANNEL || this.byChannel.has(channel);
  }

  /** The channels an event of this entity is delivered on (none when the entity is not selected). */
  channelsOf(entityName: string): string[] {
    return this.isSelected(entityName) ? [ALL_CHANGE_EVENTS_CHANNEL, entityChannel(entityName)] : [];
  }

  /** Whether an event of this entity belongs on the channel. */
  carries(channel: string, entityName: string): boolean {
    return channel === ALL_CHANGE_EVENTS_CHANNEL ? this.isSelected(entityName) : this.byChannel.get(channel) === entityName;
  }
}
