/** The HubSpot actors of generated history: forms, imports, workflows, HubSpot's own calculations. */
import type { Actor } from '../hubspot/store/actors.js';
import { mixSeed } from './rng.js';

/** A stable GUID-shaped id for a form, derived from its name (HubSpot form ids are GUIDs). */
export function formGuid(name: string): string {
  const hex = [1, 2, 3, 4].map((i) => mixSeed(i, name).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function formActor(conversion: string): Actor {
  return { source: 'FORM', sourceId: formGuid(conversion), sourceLabel: conversion };
}

/** The MQL hand-off workflow (sets the stage and rotates an SDR in as owner). */
export const MQL_WORKFLOW: Actor = { source: 'AUTOMATION', sourceId: '28417530', sourceLabel: 'MQL hand-off' };
export const CALCULATED: Actor = { source: 'CALCULATED' };

export function importActor(userId: number): Actor {
  return { source: 'IMPORT', userId, sourceLabel: 'List import' };
}
