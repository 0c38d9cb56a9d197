/**
 * Admin badge for seamline scans: verdict + score, colour-coded by status (green clean, amber flagged,
 * red quarantined, grey error / not scanned). Payload 3 loads admin components by path, so the plugin
 * registers `@seamline/payload-plugin/admin/VerdictBadge#VerdictBadgeCell` (list view column) and
 * `#VerdictBadgeField` (edit view) on a `ui` field named `seamlineBadge`.
 *
 * Both are hook-free components, so they work as React Server Components (Payload's default) and
 * need nothing from `@payloadcms/ui`. They are type-checked here but not rendered in tests: rendering
 * needs Payload's Next.js admin.
 */
import type { CSSProperties } from 'react';
import type { DefaultServerCellComponentProps, UIFieldServerProps } from 'payload';
import { badgeModel } from './badge-model.js';

type SeamlineGroup = Parameters<typeof badgeModel>[0];

export function VerdictBadge({ seamline }: { seamline: SeamlineGroup }) {
  const m = badgeModel(seamline);
  const style: CSSProperties = {
    display: 'inline-block',
    padding: '2px 8px',
    borderRadius: 999,
    fontSize: 12,
    fontWeight: 600,
    lineHeight: '18px',
    whiteSpace: 'nowrap',
    color: m.color,
    background: m.background,
  };
  return (
    <span className="seamline-badge" data-status={seamline?.status ?? 'none'} title={m.title} style={style}>
      {m.label}
    </span>
  );
}

/** List-view cell: reads the row's `seamline` group. */
export function VerdictBadgeCell({ rowData }: Pick<DefaultServerCellComponentProps, 'rowData'>) {
  return <VerdictBadge seamline={rowData?.seamline as SeamlineGroup} />;
}

/** Edit-view field: the badge above the `seamline` group, with the boundary thumbnail when there is one. */
export function VerdictBadgeField({ data }: Pick<UIFieldServerProps, 'data'>) {
  const seamline = data?.seamline as (SeamlineGroup & { boundaryThumbnail?: string | null }) | undefined;
  return (
    <div className="seamline-badge-field" style={{ display: 'flex', gap: 12, alignItems: 'center', marginBottom: 16 }}>
      <VerdictBadge seamline={seamline} />
      {seamline?.boundaryThumbnail ? (
        <img src={seamline.boundaryThumbnail} alt="Blending boundary heat map of the highest-scoring face" width={64} height={64} style={{ borderRadius: 4 }} />
      ) : null}
    </div>
  );
}

export default VerdictBadgeCell;
