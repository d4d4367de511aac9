import { useMemo } from 'react';
import { AnalysisView } from '../components/analysis/AnalysisView';
import type { GroupHandle } from '../hooks/services';

/** The group's "Analysis" tab: where this group's money goes. */
export function AnalysisTab({ group }: { group: GroupHandle }) {
  const state = group.snap.state!;
  const sources = useMemo(() => [{ groupId: state.groupId, name: state.name, state }], [state]);
  return (
    <div data-testid="analysis-tab">
      <AnalysisView sources={sources} fileParts={[state.name]} />
    </div>
  );
}
