package io.coredumptools.rsp.target;

import io.coredumptools.rsp.request.Feature;
import java.util.Set;

/**
 * Makes each connection's {@link Target}, on the connection's own thread when it first needs one, and says which
 * features its targets have (qSupported is answered before any target is made).
 */
public interface TargetFactory {
    Target create();

    /** The features every target this factory makes offers (see {@link Features#of(Target)}). */
    Set<Feature> features();
}
