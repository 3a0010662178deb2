// Kept at the old path for DiffView until it moves (components/history/).
export * from './history/historyFormat';
