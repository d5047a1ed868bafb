"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { homeFor } from "./nav";
import { Alert, btnPrimary, Input } from "./ui";
import { fieldOf } from "@/components/admin/form-field";

const schema = z.object({
  email: z.string().trim().min(3, "Give your email address."),
  password: z.string().min(1, "Give your password."),
});
type Values = z.infer<typeof schema>;

export function LoginForm({ notice }: { notice: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });
  const login = useMutation(
    trpc.admin.auth.login.mutationOptions({
      onSuccess: (me) => {
        router.replace(homeFor(me.role));
        router.refresh();
      },
      onError: () => form.setValue("password", ""),
    }),
  );

  return (
    <form noValidate onSubmit={form.handleSubmit((v) => login.mutate(v))} className="grid gap-3">
      {notice && !login.isError ? <Alert tone="info">{notice}</Alert> : null}
      {login.isError ? <Alert title="Sign-in failed">{errorMessage(login.error)}</Alert> : null}
      <Input label="Email" type="email" autoComplete="username" {...fieldOf(form, "email")} />
      <Input
        label="Password"
        type="password"
        autoComplete="current-password"
        {...fieldOf(form, "password")}
      />
      <button type="submit" className={`${btnPrimary} py-2`} disabled={login.isPending || login.isSuccess}>
        {login.isPending || login.isSuccess ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
