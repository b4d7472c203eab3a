/* read(root, paths, sizes, out, at): see native/read.c. */
#ifndef CRM_READ_H
#define CRM_READ_H

#include <node_api.h>

napi_value crm_read(napi_env env, napi_callback_info info);

#endif
