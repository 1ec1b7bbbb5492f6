/* NVMe definitions used by the driver (NVM Express Base Specification 1.4). */
#ifndef DRIVERS_NVME_NVME_DEFS_H
#define DRIVERS_NVME_NVME_DEFS_H

/* Controller registers (§3.1), little-endian. */
#define NVME_REG_CAP  0x00
#define NVME_REG_VS   0x08
#define NVME_REG_CC   0x14
#define NVME_REG_CSTS 0x1c
#define NVME_REG_AQA  0x24
#define NVME_REG_ASQ  0x28
#define NVME_REG_ACQ  0x30
#define NVME_REG_DBS  0x1000

#define NVME_CAP_MQES(c)   ((unsigned int)((c)&0xffff))
#define NVME_CAP_TO(c)     ((unsigned int)((c) >> 24 & 0xff)) /* 500 ms units */
#define NVME_CAP_DSTRD(c)  ((unsigned int)((c) >> 32 & 0xf))
#define NVME_CAP_CSS_NVM   (1ull << 37)
#define NVME_CAP_MPSMIN(c) ((unsigned int)((c) >> 48 & 0xf))

#define NVME_CC_EN         (1u << 0)
#define NVME_CC_SHN_NORMAL (1u << 14)
#define NVME_CC_SHN_MASK   (3u << 14)
#define NVME_CC_IOSQES     (6u << 16)
#define NVME_CC_IOCQES     (4u << 20)

#define NVME_CSTS_RDY       (1u << 0)
#define NVME_CSTS_CFS       (1u << 1)
#define NVME_CSTS_SHST_MASK (3u << 2)
#define NVME_CSTS_SHST_DONE (2u << 2)

/* Admin commands (§5). */
#define NVME_ADM_CREATE_SQ    0x01
#define NVME_ADM_GET_LOG_PAGE 0x02
#define NVME_LOG_HEALTH       0x02 /* SMART / Health Information, 512 bytes */
#define NVME_HEALTH_SPARE     3    /* available spare, percent */
#define NVME_HEALTH_SPARE_MIN 4    /* available spare threshold */
#define NVME_HEALTH_USED      5    /* percentage used */
#define NVME_ADM_CREATE_CQ    0x05
#define NVME_ADM_IDENTIFY     0x06
#define NVME_ADM_ABORT        0x08
#define NVME_ADM_SET_FEATURES 0x09
#define NVME_FEAT_NUM_QUEUES  0x07
#define NVME_ID_CNS_NS        0x00
#define NVME_ID_CNS_CTRL      0x01

/* NVM commands (§6). */
#define NVME_CMD_FLUSH        0x00
#define NVME_CMD_WRITE        0x01
#define NVME_CMD_READ         0x02
#define NVME_CMD_WRITE_ZEROES 0x08
#define NVME_CMD_DSM          0x09
#define NVME_DSM_DEALLOCATE   (1u << 2)
#define NVME_RW_FUA           (1u << 30)

/* Identify controller fields (byte offsets). */
#define NVME_IDC_SN   4
#define NVME_IDC_MN   24
#define NVME_IDC_FR   64
#define NVME_IDC_MDTS 77
#define NVME_IDC_NN   516
#define NVME_IDC_ONCS 520
#define NVME_IDC_VWC  525
#define NVME_ONCS_DSM (1u << 2)
#define NVME_ONCS_WZ  (1u << 3)

/* Identify namespace fields. */
#define NVME_IDN_NSZE  0
#define NVME_IDN_NLBAF 25
#define NVME_IDN_FLBAS 26
#define NVME_IDN_LBAF  128

#define NVME_SQE_SIZE 64
#define NVME_CQE_SIZE 16

/* Status (CQE DW3 bits 17..31 as a 15-bit field). */
#define NVME_SC_SUCCESS     0x000
#define NVME_SC_ABORT_REQ   0x007
#define NVME_STATUS_DNR     0x4000
#define NVME_STATUS_CODE(s) ((s)&0xff)
#define NVME_STATUS_TYPE(s) ((s) >> 8 & 7)

#endif
