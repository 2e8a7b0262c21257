// The tag vocabulary as a group of checkboxes: proposing, editing an entry, filtering a subscription.
import type { ReactNode } from "react";
import { TAGS, type Tag } from "../api/types.js";
import { Choice, Choices } from "./Field.js";

export function TagChoices({
  legend,
  hint,
  name,
  errors,
  value,
  onChange,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  name: string;
  errors: string[] | undefined;
  value: Tag[];
  onChange: (tags: Tag[]) => void;
}) {
  return (
    <Choices legend={legend} hint={hint} errors={errors} className="choices--tags">
      {TAGS.map((tag) => (
        <Choice
          key={tag}
          type="checkbox"
          name={name}
          value={tag}
          label={tag}
          checked={value.includes(tag)}
          onChange={(checked) =>
            onChange(checked ? [...value, tag] : value.filter((other) => other !== tag))
          }
        />
      ))}
    </Choices>
  );
}
