#include "hv/devices.h"

_Static_assert(sizeof(struct device_provider) % 8 == 0, "registry entries must pack");
REGISTRY_DECLARE(device_providers, struct device_provider);

int devices_init(const struct hv_config *cfg)
{
	REGISTRY_FOREACH (device_providers, struct device_provider, d)
		if (d->init && d->init(cfg))
			return -1;
	return 0;
}

int devices_attach(struct partition *p, const struct hv_config *cfg)
{
	REGISTRY_FOREACH (device_providers, struct device_provider, d)
		if (d->attach && d->attach(p, cfg))
			return -1;
	return 0;
}

void devices_event(struct partition *p, enum device_event e)
{
	REGISTRY_FOREACH (device_providers, struct device_provider, d)
		if (d->event)
			d->event(p, e);
}

void devices_stats(const struct partition *p)
{
	REGISTRY_FOREACH (device_providers, struct device_provider, d)
		if (d->stats)
			d->stats(p);
}
