// The yes/no tally of a proposal against its quorum and threshold. Abstentions count for
// nothing, so the bar shows yes against no; the mark is the threshold.
import type { Tally } from "../api/types.js";

export function TallyBar({
  tally,
  quorum,
  threshold,
}: {
  tally: Tally;
  quorum: number;
  threshold: number;
}) {
  const decided = tally.yes + tally.no;
  const yesShare = decided === 0 ? 0 : tally.yes / decided;
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  const missing = Math.max(0, quorum - decided);
  return (
    <div className="tally">
      <div className="tally__bar" aria-hidden="true">
        {decided > 0 && <span className="tally__yes" style={{ width: percent(yesShare) }} />}
        {decided > 0 && <span className="tally__no" style={{ width: percent(1 - yesShare) }} />}
        <span className="tally__threshold" style={{ left: percent(threshold) }} />
      </div>
      <p className="tally__text" data-testid="tally">
        <strong>{tally.yes}</strong> yes · <strong>{tally.no}</strong> no
        {tally.abstain > 0 && <> · {tally.abstain} abstain</>}
        {decided > 0 && <> ({percent(yesShare)} yes)</>}
        <br />
        {missing > 0
          ? `${missing} more ${missing === 1 ? "vote" : "votes"} to reach the quorum of ${quorum}`
          : `quorum of ${quorum} reached`}
        ; passes at {percent(threshold)} yes
      </p>
    </div>
  );
}
