// Renders every fixture to test-results/ladder/ (PNG: light and dark, time and even, en and
// zh-CN; plus SVG, PDF and Mermaid of the light/time/en variant) for people to look at.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPdf, renderPng } from '../../../src/core/ladder/export';
import { renderMermaid } from '../../../src/core/ladder/render-mermaid';
import { renderSvg } from '../../../src/core/ladder/render-svg';
import { fixtureModel, fixtureNames } from './fixtures';

const OUT = join(process.cwd(), 'test-results', 'ladder');

describe('rendering every fixture for review', () => {
  mkdirSync(OUT, { recursive: true });
  for (const name of fixtureNames) {
    it(`renders ${name} in all variants`, async () => {
      for (const language of ['en', 'zh-CN'] as const) {
        const model = fixtureModel(name, language);
        for (const theme of ['light', 'dark'] as const) {
          for (const layout of ['time', 'even'] as const) {
            const svg = renderSvg(model, { layout, theme });
            const base = `${name}-${language}-${theme}-${layout}`;
            const png = renderPng(svg, { scale: 1 });
            expect(png.length).toBeGreaterThan(1000);
            writeFileSync(join(OUT, `${base}.png`), png);
            if (theme === 'light' && layout === 'time') {
              writeFileSync(join(OUT, `${base}.svg`), svg);
              writeFileSync(join(OUT, `${base}.pdf`), await renderPdf(svg));
              writeFileSync(join(OUT, `${base}.mmd`), renderMermaid(model));
            }
          }
        }
      }
    });
  }
});
