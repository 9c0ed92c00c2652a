// @ts-check
/**
 * The one place that says which Chromium the tests and the bench use and how it is started:
 * Debian's Chromium unless CHROMIUM_PATH names another; headless, and with the background
 * services that would try to reach the network switched off.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
