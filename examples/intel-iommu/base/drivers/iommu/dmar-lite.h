/* A small IOMMU driver model for lockscope's example: the seed scenario rebuilt. */
/* The analyzer's fixture corpus also checks this tree (test/analyzers/fixtures.test.ts): */
// EXPECT-CYCLE: device_domain_lock intel_iommu.lock
// EXPECT-CHAIN: intel_iommu.lock -> device_domain_lock: domain_context_mapping_one iommu_support_dev_iotlb
// EXPECT-CHAIN: device_domain_lock -> intel_iommu.lock: domain_remove_one_dev_info
#ifndef DMAR_LITE_H
#define DMAR_LITE_H

struct list_head {
	struct list_head *next, *prev;
};

struct intel_iommu {
	spinlock_t lock;		/* protects the context tables */
	int seq_id;
	void *root_entry;
};

struct dmar_domain {
	int id;
	struct list_head devices;
};

struct device_domain_info {
	struct list_head link;
	struct list_head global;
	int bus;
	int devfn;
	struct intel_iommu *iommu;
	struct dmar_domain *domain;
};

int iommu_context_present(struct intel_iommu *iommu, int bus, int devfn);
void iommu_clear_context(struct intel_iommu *iommu, int bus, int devfn);
void iommu_flush_context(struct intel_iommu *iommu);

#endif
