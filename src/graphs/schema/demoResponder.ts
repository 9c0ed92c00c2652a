/**
 * The offline demo engine's responder. It lives in ./demo/ (compromise reads the requirements);
 * this module keeps the import path callers use.
 */
export { demoRespond } from './demo/respond';
