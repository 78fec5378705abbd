// Internal link that keeps the "as of" block, so navigation stays in the same past.
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'wouter';
import { useAsOf, withAsOf } from '../app/asOf.ts';

export function Link({
  href,
  children,
  className,
  ...rest
}: {
  href: string;
  children: ReactNode;
  className?: string;
  'aria-label'?: string;
  title?: string;
}) {
  const block = useAsOf();
  return (
    <RouterLink href={withAsOf(href, block)} className={className} {...rest}>
      {children}
    </RouterLink>
  );
}

export const areaHref = (areaId: string) => `/areas/${encodeURIComponent(areaId)}`;
export const motionHref = (areaId: string, motionId: string) =>
  `${areaHref(areaId)}/motions/${encodeURIComponent(motionId)}`;
export const groupHref = (areaId: string, groupId: string) =>
  `${areaHref(areaId)}/groups/${encodeURIComponent(groupId)}`;
export const auditHref = (areaId: string) => `${areaHref(areaId)}/audit`;

/** A group as a link: "Name (#2)". */
export function GroupLink({
  areaId,
  group,
}: {
  areaId: string;
  group: { groupId: string; name: string } | null | undefined;
}) {
  if (!group) return <span className="muted">—</span>;
  return <Link href={groupHref(areaId, group.groupId)}>{group.name}</Link>;
}
