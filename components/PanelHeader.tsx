// Kept at the old path for EventPanel until it moves (components/ui/).
export { PanelHeader } from './ui/PanelHeader';
