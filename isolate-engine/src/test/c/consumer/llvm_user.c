/* llvm_user.c - calls a few functions of the LLVM-C API of libLLVM-15 (prototypes declared here, so
 * no llvm-15-dev is needed). Built by ConsumerTest after isolating libLLVM-15.so.1 into OUT:
 *   gcc -o llvm_user llvm_user.c -L OUT -lLLVM-15 -Wl,-rpath,OUT */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct LLVMOpaqueContext *LLVMContextRef;
typedef struct LLVMOpaqueModule *LLVMModuleRef;
typedef struct LLVMOpaqueType *LLVMTypeRef;

LLVMContextRef LLVMContextCreate(void);
void LLVMContextDispose(LLVMContextRef);
LLVMModuleRef LLVMModuleCreateWithNameInContext(const char *, LLVMContextRef);
const char *LLVMGetModuleIdentifier(LLVMModuleRef, size_t *);
void LLVMDisposeModule(LLVMModuleRef);
LLVMTypeRef LLVMInt32TypeInContext(LLVMContextRef);
unsigned LLVMGetIntTypeWidth(LLVMTypeRef);

int main(void)
{
    size_t len = 0;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("isolated-module", ctx);
    const char *id = LLVMGetModuleIdentifier(mod, &len);
    unsigned width = LLVMGetIntTypeWidth(LLVMInt32TypeInContext(ctx));
    int ok = len == strlen("isolated-module") && strcmp(id, "isolated-module") == 0 && width == 32;

    printf("module %s, i32 width %u: %s\n", id, width, ok ? "ok" : "FAIL");
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    return ok ? 0 : 1;
}
