#ifndef HV_VERSION_H
#define HV_VERSION_H

#define HV_NAME    "powerhv"
#define HV_VERSION "0.1"
#ifndef HV_BUILD_DATE
#define HV_BUILD_DATE __DATE__
#endif

#endif
