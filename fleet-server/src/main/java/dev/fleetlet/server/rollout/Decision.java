package dev.fleetlet.server.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of one controller step.
 *
 * @param state    the new state to persist
 * @param effects  what to do, in order
 * @param rejected commands not applicable in the phase they met, each with the reason (for a 409 answer);
 *                 they are consumed (their seq is recorded) and change nothing
 */
public record Decision(RolloutState state, List<Effect> effects, List<String> rejected) {

    public Decision {
        effects = List.copyOf(effects);
        rejected = List.copyOf(rejected);
    }

    /** The audit texts among the effects. */
    public List<String> audit() {
        List<String> out = new ArrayList<>();
        for (Effect e : effects) {
            if (e instanceof Effect.AuditEntry a) {
                out.add(a.text());
            }
        }
        return out;
    }

    /** The effects of one type, in order. */
    public <T extends Effect> List<T> effects(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Effect e : effects) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }
}
