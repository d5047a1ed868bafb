import { type FieldPath, type FieldValues, get, type UseFormReturn } from "react-hook-form";

/** A registered form field with its validation message, spread onto the labelled controls of ui.tsx. */
export function fieldOf<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, "register" | "formState">,
  name: FieldPath<T>,
) {
  const fieldError: { message?: unknown } | undefined = get(form.formState.errors, name);
  const message = fieldError?.message;
  return { error: typeof message === "string" ? message : undefined, ...form.register(name) };
}
