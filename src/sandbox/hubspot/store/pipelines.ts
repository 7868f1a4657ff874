/**
 * Deal pipelines. A fresh portal has one, "Sales Pipeline" (id `default`), with HubSpot's default
 * deal stages and their win probabilities.
 */

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot returns stage metadata as strings: `{ isClosed: "false", probability: "0.2" }`. */
  metadata: { isClosed: string; probability: string };
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PipelineInput {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string; probability: number; isClosed?: boolean }>;
}

export const DEFAULT_DEAL_PIPELINE: PipelineInput = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: 0.2 },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: 0.4 },
    { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: 0.6 },
    { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: 0.8 },
    { id: 'contractsent', label: 'Contract Sent', probability: 0.9 },
    { id: 'closedwon', label: 'Closed Won', probability: 1.0, isClosed: true },
    { id: 'closedlost', label: 'Closed Lost', probability: 0.0, isClosed: true },
  ],
};

export class PipelineRegistry {
  private readonly pipelines: Pipeline[] = [];

  constructor(private readonly now: () => number) {
    this.add(DEFAULT_DEAL_PIPELINE);
  }

  add(input: PipelineInput): Pipeline {
    if (this.get(input.id) !== undefined) throw new Error(`pipeline ${input.id} already exists`);
    const at = this.now();
    const pipeline: Pipeline = {
      id: input.id,
      label: input.label,
      displayOrder: this.pipelines.length,
      stages: input.stages.map((s, i) => ({
        id: s.id,
        label: s.label,
        displayOrder: i,
        metadata: { isClosed: String(s.isClosed ?? false), probability: Number.isInteger(s.probability) ? s.probability.toFixed(1) : String(s.probability) },
        createdAt: at,
        updatedAt: at,
        archived: false,
      })),
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.pipelines.push(pipeline);
    return pipeline;
  }

  list(): Pipeline[] {
    return this.pipelines.filter((p) => !p.archived);
  }

  get(id: string): Pipeline | undefined {
    return this.pipelines.find((p) => p.id === id && !p.archived);
  }

  stage(pipelineId: string, stageId: string): PipelineStage | undefined {
    return this.get(pipelineId)?.stages.find((s) => s.id === stageId && !s.archived);
  }
}
