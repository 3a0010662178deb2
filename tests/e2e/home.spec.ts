/** The timeline list: the seeded demo, counts and edit times, and creating a timeline. */
import { expect, test } from './fixtures';

test('lists the seeded demo timeline and opens it in the timeline view', async ({ page }) => {
  await page.goto('/');
  const demo = page
    .getByTestId('timeline-list')
    .locator('tr', { hasText: 'Border network outages' });
  await expect(demo).toBeVisible();
  const count = Number(await demo.locator('[data-field=event-count]').innerText());
  expect(count).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: 'test-results/screens/home.png', fullPage: true });

  await demo.getByRole('link').click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('timeline-title')).toHaveText(/Border network outages/);
  await expect(page.locator('[data-testid=event-table] tbody tr')).toHaveCount(count);
  await expect(page.locator('.vis-item.vis-range').first()).toBeVisible();
  await expect(page.locator('.vis-item.vis-background').first()).toBeAttached();
  await expect(page.locator('.vis-labelset .vis-label', { hasText: 'Diplomacy' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/demo.png', fullPage: true });
});

test('creates a timeline from the form and shows it in the list with its event count', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByLabel('New timeline').fill('Election week');
  await page.getByRole('button', { name: 'Create timeline' }).click();
  await expect(page).toHaveURL(/\/t\/[a-z0-9]+$/);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('timeline-title')).toHaveText('Election week');
  await page.getByRole('button', { name: '+ Add event' }).click();
  await expect(page.locator('[data-testid=event-table] tbody tr')).toHaveCount(1);

  await page.getByRole('link', { name: 'All timelines' }).click();
  const row = page.getByTestId('timeline-list').locator('tr', { hasText: 'Election week' });
  await expect(row.locator('[data-field=event-count]')).toHaveText('1');
});

test('an unknown timeline says so and links back', async ({ page }) => {
  await page.goto('/t/doesnotexist');
  await expect(page.getByRole('heading', { name: 'Timeline not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to all timelines' }).click();
  await expect(page.getByTestId('timeline-list')).toBeVisible();
});
