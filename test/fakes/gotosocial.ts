// A fake GoToSocial admin domain blocks API: every block at once (no paging), blocks are full
// suspensions with no severity or reject flags, POST of an already blocked domain answers the
// existing block, PUT changes only the comments and `obfuscate`, DELETE answers the removed block.
import {
  castBoolean,
  castText,
  FakeServer,
  type Body,
  type FakeReply,
  type FakeRequest,
} from "./fake-server.js";

export interface GoToSocialBlock {
  id: string;
  domain: string;
  obfuscate: boolean;
  private_comment: string;
  public_comment: string;
  subscription_id: string;
  created_by: string;
  created_at: string;
}

export const GOTOSOCIAL_ADMIN_TOKEN = "gotosocial-admin-token";

const COLLECTION = "/api/v1/admin/domain_blocks";
const ADMIN_ACCOUNT_ID = "01F8MH17FWEB39HZJ76B6VXSKF";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function base32(value: bigint, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    text = CROCKFORD[Number(value % 32n)] + text;
    value /= 32n;
  }
  return text;
}

export class FakeGoToSocial extends FakeServer {
  readonly #blocks = new Map<string, GoToSocialBlock>();
  readonly instanceDomain: string;
  readonly accountDomain: string;
  #sequence = 0n;

  constructor(
    options: {
      instanceDomain?: string;
      accountDomain?: string;
      tokens?: Record<string, string[]>;
    } = {},
  ) {
    super({
      tokens: options.tokens ?? { [GOTOSOCIAL_ADMIN_TOKEN]: ["admin"] },
      auth: {
        invalidToken: "Unauthorized: token not valid",
        missingScope: "Forbidden: token has insufficient scope permission",
      },
      scopeFor: (method, path) =>
        !path.startsWith(COLLECTION)
          ? null
          : method === "GET"
            ? "admin:read:domain_blocks"
            : "admin:write:domain_blocks",
      handle: (request) => this.#handle(request),
    });
    this.instanceDomain = options.instanceDomain ?? "gts.example";
    this.accountDomain = options.accountDomain ?? this.instanceDomain;
  }

  /** ULID-like: 10 characters of time, 16 of a sequence; sortable like GoToSocial's ids. */
  #nextId(): string {
    return base32(BigInt(Date.now()), 10) + base32(++this.#sequence, 16);
  }

  seed(input: Partial<GoToSocialBlock> & { domain: string }): GoToSocialBlock {
    const block: GoToSocialBlock = {
      id: this.#nextId(),
      obfuscate: false,
      private_comment: "",
      public_comment: "",
      subscription_id: "",
      created_by: ADMIN_ACCOUNT_ID,
      created_at: new Date().toISOString(),
      ...input,
    };
    this.#blocks.set(block.id, block);
    return block;
  }

  blocks(): GoToSocialBlock[] {
    return [...this.#blocks.values()];
  }

  block(domain: string): GoToSocialBlock | undefined {
    return this.blocks().find((block) => block.domain === domain);
  }

  #handle(request: FakeRequest): FakeReply {
    if (request.method === "GET" && request.path === "/api/v1/instance") {
      return {
        status: 200,
        json: {
          uri: this.instanceDomain,
          account_domain: this.accountDomain,
          title: "Fake GoToSocial",
        },
      };
    }
    if (request.path === COLLECTION) {
      if (request.method === "GET") return { status: 200, json: this.blocks() };
      if (request.method === "POST") return this.#create(request.body);
    }
    const id = request.path.startsWith(`${COLLECTION}/`)
      ? request.path.slice(COLLECTION.length + 1)
      : null;
    if (id !== null) {
      const block = this.#blocks.get(id);
      if (!block)
        return {
          status: 404,
          json: { error: `Not Found: no domain block entry exists with ID ${id}` },
        };
      if (request.method === "GET") return { status: 200, json: block };
      if (request.method === "PUT") return this.#update(block, request.body);
      if (request.method === "DELETE") {
        this.#blocks.delete(id);
        return { status: 200, json: block };
      }
    }
    return { status: 404, json: { error: "Not Found" } };
  }

  #create(body: Body): FakeReply {
    const domain = typeof body.domain === "string" ? body.domain.trim().toLowerCase() : "";
    if (domain === "")
      return { status: 400, json: { error: "Bad Request: empty domain provided" } };
    const existing = this.block(domain);
    if (existing) return { status: 200, json: existing };
    const block = this.seed({
      domain,
      obfuscate: castBoolean(body.obfuscate ?? false),
      public_comment: castText(body.public_comment) ?? "",
      private_comment: castText(body.private_comment) ?? "",
    });
    return { status: 200, json: block };
  }

  #update(block: GoToSocialBlock, body: Body): FakeReply {
    if ("obfuscate" in body) block.obfuscate = castBoolean(body.obfuscate);
    if ("public_comment" in body) block.public_comment = castText(body.public_comment) ?? "";
    if ("private_comment" in body) block.private_comment = castText(body.private_comment) ?? "";
    return { status: 200, json: block };
  }
}

export async function startFakeGoToSocial(
  options: ConstructorParameters<typeof FakeGoToSocial>[0] = {},
): Promise<FakeGoToSocial> {
  const fake = new FakeGoToSocial(options);
  await fake.listen();
  return fake;
}
