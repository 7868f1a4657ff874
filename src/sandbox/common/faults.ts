/**
 * Fault injection shared by both simulators: error rates per status, latency with jitter,
 * timeouts (the request is held and the socket closed without an answer), and dropped webhook
 * deliveries. Configured at start and changed at run time through the control endpoint.
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { seededRandom, type Random } from './random.js';

export const faultConfigSchema = z.strictObject({
  /** Probability (0..1) of answering with each status instead of serving the call. */
  errorRates: z
    .strictObject({
      '500': z.number().min(0).max(1).optional(),
      '503': z.number().min(0).max(1).optional(),
      '429': z.number().min(0).max(1).optional(),
    })
    .default({}),
  /** Fixed latency added to every call, in ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs: z.number().int().min(0).max(60_000).default(0),
  /** Probability (0..1) that a call never gets an answer: held for timeoutMs, then the socket is destroyed. */
  timeoutRate: z.number().min(0).max(1).default(0),
  timeoutMs: z.number().int().min(0).max(600_000).default(30_000),
  /** Probability (0..1) that an outgoing webhook delivery is silently dropped (HubSpot). */
  dropWebhookRate: z.number().min(0).max(1).default(0),
  seed: z.number().int().default(1),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type FaultConfigInput = z.input<typeof faultConfigSchema>;

export type InjectedStatus = 500 | 503 | 429;

/** How a vendor renders an injected error in its own shape. */
export type ErrorRenderer = (res: Response, status: InjectedStatus) => void;

export class FaultInjector {
  private config: FaultConfig;
  private random: Random;

  constructor(config: FaultConfigInput = {}) {
    this.config = faultConfigSchema.parse(config);
    this.random = seededRandom(this.config.seed);
  }

  get current(): FaultConfig {
    return this.config;
  }

  /** Replaces the configuration (missing keys get their defaults). */
  configure(config: FaultConfigInput): FaultConfig {
    this.config = faultConfigSchema.parse(config);
    this.random = seededRandom(this.config.seed);
    return this.config;
  }

  /** Decides whether the next webhook delivery is dropped. */
  dropWebhook(): boolean {
    return this.config.dropWebhookRate > 0 && this.random() < this.config.dropWebhookRate;
  }

  private pickError(): InjectedStatus | undefined {
    const rates = this.config.errorRates;
    let roll = this.random();
    for (const status of [500, 503, 429] as const) {
      const rate = rates[String(status) as '500' | '503' | '429'] ?? 0;
      if (roll < rate) return status;
      roll -= rate;
    }
    return undefined;
  }

  private delayMs(): number {
    const { latencyMs, jitterMs } = this.config;
    return latencyMs + (jitterMs > 0 ? Math.floor(this.random() * jitterMs) : 0);
  }

  /** Express middleware: delay, then maybe time out or answer with an injected error. */
  middleware(render: ErrorRenderer, options: { ignore?: (path: string) => boolean } = {}) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (options.ignore?.(req.path)) return next();
      const delay = this.delayMs();
      const timeout = this.config.timeoutRate > 0 && this.random() < this.config.timeoutRate;
      const error = timeout ? undefined : this.pickError();
      const proceed = (): void => {
        if (timeout) {
          const timer = setTimeout(() => req.socket.destroy(), this.config.timeoutMs);
          req.socket.once('close', () => clearTimeout(timer));
          return;
        }
        if (error !== undefined) return render(res, error);
        next();
      };
      if (delay > 0) setTimeout(proceed, delay);
      else proceed();
    };
  }
}
