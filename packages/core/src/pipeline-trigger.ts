// A project's pipeline trigger token (GitLab's `Ci::Trigger`) and the `Entities::Trigger` the v4 trigger
// tokens API renders (https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html).

import { type Static, Type } from "@sinclair/typebox";
import { UserEntityV4Schema } from "./api-entities.js";
import type { Timestamp } from "./domain.js";
import { Nullable } from "./schema-helpers.js";

/** GitLab 16.x+ writes every new trigger token as this prefix and 40 hex digits. */
export const TRIGGER_TOKEN_PREFIX = "glptt-";

/** A trigger token: anyone holding `token` may run pipelines of the project as its owner. */
export interface PipelineTrigger {
  id: number;
  projectId: number;
  token: string;
  description: string;
  /** The Maintainer who created it; pipelines it triggers run as them. */
  ownerId: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/**
 * `Ci::Trigger#short_token`: the four characters after the prefix, what callers who may not manage the
 * token see instead of it.
 */
export function shortTriggerToken(token: string): string {
  const rest = token.startsWith(TRIGGER_TOKEN_PREFIX) ? token.slice(TRIGGER_TOKEN_PREFIX.length) : token;
  return rest.slice(0, 4);
}

/** `API::Entities::Trigger`. */
export const TriggerEntitySchema = Type.Object({
  id: Type.Number(),
  token: Type.String({ description: "The whole token for its owner, else its first four characters" }),
  description: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  last_used: Nullable(Type.String({ description: "When the newest pipeline it triggered was created" })),
  expires_at: Nullable(Type.String()),
  owner: Nullable(UserEntityV4Schema),
});
export type TriggerEntity = Static<typeof TriggerEntitySchema>;
