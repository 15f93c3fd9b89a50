// The v4 `Trigger` entity: the whole token only for whoever may manage it (its owner), as GitLab's
// `Ci::TriggerPresenter` shows it (https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html).

import { type PipelineTrigger, shortTriggerToken, type TriggerEntity, type User } from "@buildsim/core";
import { presentUserV4 } from "./present-entities-v4.js";

/** What the entity needs besides the trigger: its owner, when it last ran a pipeline, who is asking. */
export interface TriggerView {
  owner: User | undefined;
  lastUsed: string | null;
  /** `admin_trigger`: the caller may manage this very token (and so see it whole). */
  tokenExposed: boolean;
  webUrl: string;
}

/** `API::Entities::Trigger`, keys in GitLab's order. */
export function presentTriggerV4(trigger: PipelineTrigger, view: TriggerView): TriggerEntity {
  return {
    id: trigger.id,
    token: view.tokenExposed ? trigger.token : shortTriggerToken(trigger.token),
    description: trigger.description,
    created_at: trigger.createdAt,
    updated_at: trigger.updatedAt,
    last_used: view.lastUsed,
    expires_at: null,
    owner: view.owner ? presentUserV4(view.owner, view.webUrl) : null,
  };
}
