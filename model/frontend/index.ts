export { extractModel, type ExtractInput, type ExtractResult } from './extract.js';
export { parseHeader, type HeaderResult } from './header.js';
export { checkBytes, checkText, checkNesting } from './input.js';
