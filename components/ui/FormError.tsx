/** A form or request error, announced to screen readers. */
export function FormError({ children }: { children: React.ReactNode }) {
  return (
    <p className="form-error" role="alert">
      {children}
    </p>
  );
}
