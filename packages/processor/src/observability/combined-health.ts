import type { HealthState } from '@tributary/observability';

/**
 * The health of a whole made of components (the stream job and its services, an app's connectors): live while every
 * component is live, ready while every component is ready. `details` holds each component's own state by name
 * (`live`, `ready` and its details), so `/health` shows which one is not ready.
 */
export function combineHealth(components: Readonly<Record<string, HealthState | undefined>>): HealthState {
  let live = true;
  let ready = true;
  const details: Record<string, unknown> = {};
  for (const [name, state] of Object.entries(components)) {
    if (state === undefined) continue;
    live &&= state.live;
    ready &&= state.ready;
    details[name] = { live: state.live, ready: state.ready, ...state.details };
  }
  return { live, ready: live && ready, details };
}
