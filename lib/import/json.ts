/**
 * Chronoboard's own JSON export (`{ timeline, lanes, events }`, server/export/json.ts) → an import
 * plan: the round trip. Lanes keep their names and colours, events and sources keep their ids
 * (when free in the target timeline), and every event field the file carries is validated by the
 * model's EventInput schema, so fields this version does not know are dropped, never stored raw.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../ids';
import { failedPlan, type ImportPlan, PlanBuilder } from './plan';

const ExportedLane = z
  .object({
    id: z.string(),
    title: z.string().trim().min(1),
    order: z.number().optional(),
    color: z.string().optional(),
  })
  .loose();

const ExportFile = z
  .object({
    timeline: z
      .object({ title: z.string().optional(), description: z.string().optional() })
      .loose()
      .optional(),
    lanes: z.array(ExportedLane, { error: 'a Chronoboard JSON export needs a "lanes" list' }),
    events: z.array(z.unknown(), { error: 'a Chronoboard JSON export needs an "events" list' }),
  })
  .loose();

/** Parses the text of a Chronoboard JSON export. */
export function parseChronoboardJson(text: string): ImportPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return failedPlan(`not valid JSON: ${(error as Error).message}`);
  }
  const file = ExportFile.safeParse(data);
  if (!file.success) {
    const issue = file.error.issues[0]!;
    return failedPlan(issue.message, issue.path.join('.') || undefined);
  }
  const plan = new PlanBuilder();
  const laneTitles = new Map<string, string>();
  const lanes = [...file.data.lanes].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const lane of lanes) {
    const color =
      typeof lane.color === 'string' && /^#[0-9a-f]{6}$/i.test(lane.color) ? lane.color : undefined;
    laneTitles.set(lane.id, plan.addLane(lane.title, color));
  }
  if (file.data.timeline?.description) plan.timelineDescription = file.data.timeline.description;

  file.data.events.forEach((raw, index) => {
    const row = index + 1;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      plan.addError(row, undefined, 'an event must be an object');
      return;
    }
    const { id, lane, ...fields } = raw as Record<string, unknown>;
    if (typeof lane !== 'string' || !laneTitles.has(lane)) {
      plan.addError(row, 'lane', `lane ${JSON.stringify(lane)} is not one of the file's lanes`);
      return;
    }
    plan.addEvent(row, fields, {
      id: typeof id === 'string' && ID_PATTERN.test(id) ? id : undefined,
      laneTitle: laneTitles.get(lane),
    });
  });
  return plan.build();
}
