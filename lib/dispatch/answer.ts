/**
 * A command's answer: the value itself when the command answered at once (light commands, on the
 * main thread), a promise when it waits (exposures, readouts). Keeping the light path free of
 * promises spares each command its microtask hops and allocations.
 */
export type Answer<T> = T | Promise<T>;

/** `then` for an answer: applied at once to a value, chained to a promise. */
export function whenAnswered<T, U>(answer: Answer<T>, next: (value: T) => U): Answer<U> {
  return answer instanceof Promise ? answer.then(next) : next(answer);
}
