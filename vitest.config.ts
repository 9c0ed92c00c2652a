import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';
import { chromiumArgs, chromiumPath } from './chromium.config.js';

function browserProject(name: string, include: string[], extraArgs: string[]) {
  return {
    extends: true as const,
    test: {
      name,
      include,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] },
        }),
        instances: [{ browser: 'chromium' as const }],
      },
    },
  };
}

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            include: ['tests/unit/**/*.test.ts'],
            testTimeout: 30_000,
            // Files share a module registry per worker, so the graph's one PGlite starts once per
            // worker rather than once per file (each start runs initdb: seconds).
            isolate: false,
          },
        },
        browserProject('browser', ['tests/browser/**/*.test.ts'], []),
        browserProject('browser-webgpu', ['tests/browser-webgpu/**/*.test.ts'], ['--enable-unsafe-webgpu']),
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['tests/e2e/**/*.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }),
);
