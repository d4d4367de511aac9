/**
 * Catches what a screen throws while rendering, a split-out screen whose code failed to load
 * included, and shows it in place of the screen with "Try again", instead of React unmounting
 * the whole app. Navigating elsewhere (a new `resetKey`) clears it too.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { retryDeferredCode } from '../screens/lazy';

interface Props {
  /** Changes when the user navigates: the next screen starts without the old error. */
  readonly resetKey: string;
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | null;
  readonly resetKey: string;
}

export class ScreenBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('A screen failed:', error, info.componentStack);
  }

  retry = (): void => {
    retryDeferredCode();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    if (this.state.error) return <ScreenError error={this.state.error} onRetry={this.retry} />;
    return this.props.children;
  }
}

function ScreenError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="card empty" role="alert" data-testid="screen-error">
      <p>{t('app.screenFailed')}</p>
      <p className="muted small">{error.message}</p>
      <button type="button" onClick={onRetry} data-testid="screen-retry">
        {t('app.retry')}
      </button>
    </div>
  );
}
