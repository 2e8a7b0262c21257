// GoToSocial's admin domain blocks API: every block at once (no paging), and every block is a
// full suspension with no reject flags; `PUT /:id` changes only the comments and `obfuscate`.
// So this target holds only the feed's `suspend` entries, without reject flags.
import type { BlockFields, DesiredBlock, TargetBlock } from "../block.js";
import { endpoint, type HttpClient } from "../http.js";
import { parseMarker, sameMarker } from "../marker.js";
import { parseJson, readBlock, readBlocks, fetchInstanceDomains } from "./read.js";
import type { CreateResult, Target } from "./target.js";

export class GoToSocialTarget implements Target {
  readonly kind = "gotosocial" as const;
  readonly #base: URL;
  readonly #token: string;
  readonly #http: HttpClient;

  constructor(base: URL, token: string, http: HttpClient) {
    this.#base = base;
    this.#token = token;
    this.#http = http;
  }

  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[] {
    return entries
      .filter((entry) => entry.severity === "suspend")
      .map((entry) => ({ ...entry, reject_media: false, reject_reports: false }));
  }

  async listBlocks(): Promise<TargetBlock[]> {
    const url = endpoint(this.#base, "api/v1/admin/domain_blocks");
    return readBlocks(
      (await this.#http.request("GET", url, { token: this.#token })).body,
      "suspend",
    );
  }

  instanceDomains(): Promise<string[]> {
    return fetchInstanceDomains(this.#http, this.#base, this.#token);
  }

  async create(block: DesiredBlock, privateComment: string): Promise<CreateResult> {
    const url = endpoint(this.#base, "api/v1/admin/domain_blocks");
    const json = { domain: block.domain, ...fieldsToSend(block, privateComment) };
    const response = await this.#http.request("POST", url, { token: this.#token, json });
    const answered = readBlock(parseJson(response.body, "the created block"), "suspend");
    // GoToSocial answers 200 with the block it already had when the domain is blocked.
    const sent = parseMarker(privateComment);
    const got = parseMarker(answered.private_comment);
    if (sameMarker(got, sent)) {
      return { created: true, block: answered };
    }
    return { created: false, existing: answered, message: `${block.domain} is already blocked` };
  }

  async update(id: string, fields: BlockFields, privateComment: string): Promise<TargetBlock> {
    const url = endpoint(this.#base, `api/v1/admin/domain_blocks/${encodeURIComponent(id)}`);
    const json = fieldsToSend(fields, privateComment);
    const response = await this.#http.request("PUT", url, { token: this.#token, json });
    return readBlock(parseJson(response.body, "the updated block"), "suspend");
  }

  async remark(id: string, privateComment: string, current: BlockFields): Promise<void> {
    await this.update(id, current, privateComment);
  }

  async probe(): Promise<void> {
    // GoToSocial answers every block at once: the instance endpoint is the cheap read.
    await this.#http.request("GET", endpoint(this.#base, "api/v1/instance"), {
      token: this.#token,
    });
  }

  reserve(requests: number): Promise<void> {
    return this.#http.reserve(requests, this.#base.host);
  }

  async remove(id: string): Promise<void> {
    const url = endpoint(this.#base, `api/v1/admin/domain_blocks/${encodeURIComponent(id)}`);
    await this.#http.request("DELETE", url, { token: this.#token });
  }
}

function fieldsToSend(fields: BlockFields, privateComment: string) {
  return {
    obfuscate: fields.obfuscate,
    public_comment: fields.public_comment,
    private_comment: privateComment,
  };
}
