/** The browser's REST calls and react-query hooks, by topic. */
export * from './comments';
export * from './history';
export * from './request';
export * from './shareToken';
export * from './timelines';
