/** The part of negotiator (the Accept-header matcher Apollo Server uses) that Hela calls. */
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: { accept?: string } });
    mediaType(available?: string[]): string | undefined;
  }
}
