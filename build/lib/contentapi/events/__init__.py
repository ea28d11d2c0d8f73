"""Events: in-process bus, webhook outbox and its dispatcher."""
