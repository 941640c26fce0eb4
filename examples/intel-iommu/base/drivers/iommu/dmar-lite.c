// SPDX-License-Identifier: MIT
/*
 * dmar-lite: a model of the device/domain bookkeeping of a DMA remapping driver,
 * written for lockscope's example. device_domain_lock protects the device lists;
 * each iommu's lock protects its context tables.
 */
#include "dmar-lite.h"

static DEFINE_SPINLOCK(device_domain_lock);
static struct list_head device_domain_list;

static struct device_domain_info *find_info(int bus, int devfn)
{
	struct device_domain_info *info;

	list_for_each_entry(info, &device_domain_list, global) {
		if (info->bus == bus && info->devfn == devfn)
			return info;
	}
	return NULL;
}

static int iommu_support_dev_iotlb(struct dmar_domain *domain, int bus, int devfn)
{
	struct device_domain_info *info;
	unsigned long flags;
	int found = 0;

	spin_lock_irqsave(&device_domain_lock, flags);
	info = find_info(bus, devfn);
	if (info && info->domain == domain)
		found = 1;
	spin_unlock_irqrestore(&device_domain_lock, flags);

	return found;
}

static int domain_context_mapping_one(struct dmar_domain *domain,
				      struct intel_iommu *iommu, int bus, int devfn)
{
	unsigned long flags;
	int iotlb;

	spin_lock_irqsave(&iommu->lock, flags);
	if (iommu_context_present(iommu, bus, devfn)) {
		spin_unlock_irqrestore(&iommu->lock, flags);
		return 0;
	}

	iotlb = iommu_support_dev_iotlb(domain, bus, devfn);
	if (!iotlb)
		iommu_flush_context(iommu);

	spin_unlock_irqrestore(&iommu->lock, flags);
	return 0;
}

int domain_context_mapping(struct dmar_domain *domain, struct intel_iommu *iommu,
			   int bus, int devfn)
{
	int ret;

	ret = domain_context_mapping_one(domain, iommu, bus, devfn);
	if (ret)
		return ret;
	return domain_context_mapping_one(domain, iommu, bus, devfn + 1);
}

static void iommu_detach_dev(struct intel_iommu *iommu, int bus, int devfn)
{
	iommu_clear_context(iommu, bus, devfn);
}

void domain_remove_one_dev_info(struct dmar_domain *domain, int bus, int devfn)
{
	struct device_domain_info *info, *tmp;
	struct intel_iommu *iommu = NULL;
	unsigned long flags, tmp_flags;
	int found = 0;

	spin_lock_irqsave(&device_domain_lock, flags);
	list_for_each_entry_safe(info, tmp, &domain->devices, link) {
		if (info->bus != bus || info->devfn != devfn) {
			if (info->iommu == iommu)
				found = 1;
			continue;
		}
		iommu = info->iommu;
		iommu_detach_dev(iommu, bus, devfn);
	}

	if (found == 0 && iommu) {
		spin_lock_irqsave(&iommu->lock, tmp_flags);
		iommu_flush_context(iommu);
		spin_unlock_irqrestore(&iommu->lock, tmp_flags);
	}

	spin_unlock_irqrestore(&device_domain_lock, flags);
}
