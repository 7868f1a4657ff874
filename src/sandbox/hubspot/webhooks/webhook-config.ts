/** Webhook settings: where to deliver, which events, and how deliveries are batched and retried. */
import { z } from 'zod';

export const SUBSCRIPTION_OBJECTS = ['contact', 'company', 'deal'] as const;
export const SUBSCRIPTION_EVENTS = [
  'creation',
  'deletion',
  'propertyChange',
  'privacyDeletion',
  'associationChange',
  'merge',
  'restore',
] as const;

const subscriptionTypeSchema = z
  .string()
  .refine((value) => {
    const [object, event] = value.split('.');
    return (
      SUBSCRIPTION_OBJECTS.includes(object as (typeof SUBSCRIPTION_OBJECTS)[number]) &&
      SUBSCRIPTION_EVENTS.includes(event as (typeof SUBSCRIPTION_EVENTS)[number])
    );
  }, `subscriptionType must be <object>.<event> with object one of ${SUBSCRIPTION_OBJECTS.join(', ')} and event one of ${SUBSCRIPTION_EVENTS.join(', ')}`);

export const subscriptionSchema = z.strictObject({
  subscriptionType: subscriptionTypeSchema,
  /** For propertyChange: the property to watch; every property when omitted. */
  propertyName: z.string().min(1).optional(),
  active: z.boolean().default(true),
});
export type WebhookSubscriptionInput = z.input<typeof subscriptionSchema>;

export const webhookConfigSchema = z.strictObject({
  targetUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  subscriptions: z.array(subscriptionSchema).default([]),
  /** Delivery attempts per batch, the first included. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** Events are collected for this long before a batch goes out. */
  batchWindowMs: z.number().int().min(0).max(60_000).default(50),
  /** At most this many events per request (HubSpot: 100). */
  maxBatchSize: z.number().int().min(1).max(100).default(100),
  /** Delay before retry n is retryBaseMs × 2^(n-1). */
  retryBaseMs: z.number().int().min(0).max(3_600_000).default(200),
  /** Deliveries in flight at once (HubSpot's `throttling.maxConcurrentRequests`, 10 by default). */
  maxConcurrentRequests: z.number().int().min(1).max(100).default(10),
  /** A delivery that takes longer counts as failed. */
  timeoutMs: z.number().int().min(1).max(120_000).default(5_000),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;

export interface WebhookSubscription {
  id: number;
  subscriptionType: string;
  propertyName?: string;
  active: boolean;
}
