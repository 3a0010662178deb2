// Kept at the old path for EventPanel and DiffView until they move (components/ui/).
export { FormError } from './ui/FormError';
