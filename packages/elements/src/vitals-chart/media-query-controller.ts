import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders its host when any of the given media queries changes (colour scheme, reduced
 * motion, forced colours): a canvas does not follow CSS by itself, so the chart reads
 * its colours and motion preference again.
 */
export class MediaQueryController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly lists: Map<string, MediaQueryList>;
  private readonly handleChange = () => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost, queries: readonly string[]) {
    this.host = host;
    this.lists = new Map(typeof matchMedia === 'function' ? queries.map((query) => [query, matchMedia(query)] as const) : []);
    host.addController(this);
  }

  /** True when `query` (one of those given) matches now. */
  matches(query: string): boolean {
    return this.lists.get(query)?.matches ?? false;
  }

  hostConnected(): void {
    for (const list of this.lists.values()) list.addEventListener('change', this.handleChange);
  }

  hostDisconnected(): void {
    for (const list of this.lists.values()) list.removeEventListener('change', this.handleChange);
  }
}
