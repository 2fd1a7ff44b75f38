// The simulated providers live in core (the demo case uses them too); tests import them from here as before.
export * from '../../core/response/simulated/slack'
