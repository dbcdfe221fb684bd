import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // OCR and queue tests start tesseract workers and child processes
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
