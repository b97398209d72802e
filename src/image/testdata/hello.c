// The tiny program every image test puts at /app: dynamically linked against libc and libm, so its
// closure has a loader, two libraries and the merged-/usr symlinks of the build host.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("hello from scratch %.1f\n", sqrt(argc > 1 ? atof(argv[1]) : 16.0));
  return 0;
}
