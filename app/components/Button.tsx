// Buttons, and the classes that style a link as one, in the weights the app uses.
import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

// The styles are the .btn classes in app/tailwind.css.
export function buttonClass(variant: Variant = "primary", extra = "") {
  return `btn btn-${variant} ${extra}`.trim();
}

export function Button({
  variant = "primary",
  className = "",
  type = "submit",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type={type} className={buttonClass(variant, className)} {...props} />;
}
