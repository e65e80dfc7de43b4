// Parsing `/srv/queen_id/role`: the role name(s) of a queen and, for a child queen,
// one `inherit:<parent_id>` token naming the queen whose policy it inherits.

export interface ParsedRole {
  roles: string[];
  parent?: string;
}

export type RoleParse = { ok: true; role: ParsedRole } | { ok: false; reason: string };

const QUEEN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isQueenId(s: string): boolean {
  return QUEEN_ID.test(s);
}

/** Tokens are separated by whitespace; at most one `inherit:` token, whose id must be a valid queen id. */
export function parseRole(text: string): RoleParse {
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  const roles: string[] = [];
  let parent: string | undefined;
  for (const t of tokens) {
    if (!t.startsWith('inherit:')) {
      roles.push(t);
      continue;
    }
    const id = t.slice('inherit:'.length);
    if (parent !== undefined) return { ok: false, reason: `more than one inherit: token (${parent}, ${id})` };
    if (!isQueenId(id))
      return { ok: false, reason: `inherit:${id} does not name a queen id (letters, digits, . _ -)` };
    parent = id;
  }
  return { ok: true, role: { roles, parent } };
}
