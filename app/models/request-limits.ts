// How long a request's title and description may be: read by the server's rules and schemas and
// by the forms in the browser (maxLength), so this module must not be a `.server` one, whose
// values the browser bundle replaces with nothing.
export const TITLE_MIN_LENGTH = 8;
export const TITLE_MAX_LENGTH = 120;
export const BODY_MAX_LENGTH = 20_000;
