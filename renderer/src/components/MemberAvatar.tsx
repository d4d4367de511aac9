import { avatarColor, initials } from '../lib/avatar';

/**
 * A member's initials on a colour derived from their key (lib/avatar.ts); decorative: the name is
 * next to it. The initials are drawn by CSS (`attr(data-initials)`), so they never become part of
 * the text around them (copying a row, reading a cell's text).
 */
export function MemberAvatar({
  memberId,
  name,
  size = 24,
}: {
  memberId: string;
  name: string;
  size?: number;
}) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      data-testid="member-avatar"
      data-initials={initials(name)}
      style={{ background: avatarColor(memberId), width: size, height: size, fontSize: size * 0.42 }}
    />
  );
}
