/**
 * One failing view must not blank the window. Each major view (tree, list, storm panel,
 * timeline, each detail pane, the signal dialog, and the window itself as a last resort) sits in
 * a ViewBoundary: when it throws while rendering, the boundary shows in its place what failed and
 * a button to try again, and the other views, the header and the timeline go on working.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { messageOf } from '../timeline/useTimeline';
import { clippedText } from '../text/visibleText';

/** How much of an error message is shown: enough to report it, not a wall of text. */
const MAX_MESSAGE_CHARS = 300;

/** What the user reads in the failed view's place: which view, and the error, as plain text. */
export function failureText(view: string, error: unknown): string {
  return `The ${view} failed: ${clippedText(messageOf(error), MAX_MESSAGE_CHARS)}`;
}

interface ViewBoundaryProps {
  /** The view's name as the user knows it ("process tree", "timeline"). */
  view: string;
  /** When the view can be dismissed (a pane, a dialog): its own close button may be what broke. */
  onClose?: () => void;
  children: ReactNode;
}

interface ViewBoundaryState {
  error: unknown;
  failed: boolean;
}

export class ViewBoundary extends Component<ViewBoundaryProps, ViewBoundaryState> {
  override state: ViewBoundaryState = { error: undefined, failed: false };

  static getDerivedStateFromError(error: unknown): ViewBoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The stack goes to the console (DevTools, the web host's browser) for a bug report.
    console.error(`forkscope: the ${this.props.view} failed`, error, info.componentStack);
  }

  /** Render the view again: the data that broke it may have moved on (a seek, a new snapshot). */
  retry = (): void => this.setState({ error: undefined, failed: false });

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="banner alarm view-failure" role="alert" data-testid="view-failure">
        {failureText(this.props.view, this.state.error)}{' '}
        <button type="button" onClick={this.retry}>
          Try again
        </button>
        {this.props.onClose && (
          <button type="button" onClick={this.props.onClose}>
            Close
          </button>
        )}
      </div>
    );
  }
}
