// Stand-in for url-parse inside tus-js-client, which only resolves a `Location` header against the endpoint.
export default class ResolvedUrl {
  private readonly href: string;
  constructor(link: string, origin: string) {
    this.href = new URL(link, new URL(origin, window.location.href)).toString();
  }
  toString(): string {
    return this.href;
  }
}
