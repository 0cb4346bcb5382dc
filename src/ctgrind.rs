//! Valgrind memcheck client requests for the constant-time tests (the ctgrind technique): mark a
//! secret as undefined memory, run the code, mark the result defined again. Memcheck then reports
//! every conditional jump or memory address that depends on the secret. Shared by
//! `ec::ct_tests`, `cipher::mgm::ct_tests` and `cipher::magma::ct_tests`; test builds only.
//!
//! Outside valgrind the client request is a no-op. x86_64 only: the magic instruction sequence
//! (valgrind.h, `VALGRIND_DO_CLIENT_REQUEST_EXPR` for amd64) is architecture-specific.

const MAKE_MEM_UNDEFINED: u64 = 0x4d43_0001;
const MAKE_MEM_DEFINED: u64 = 0x4d43_0002;

/// Valgrind's client-request magic sequence for amd64; a no-op outside valgrind.
#[allow(
    unsafe_code,
    reason = "test-only valgrind client request (inline asm), the library's one unsafe block outside the SIMD backends"
)]
fn client_request(req: u64, addr: *const u8, len: usize) {
    let args: [u64; 6] = [req, addr as u64, len as u64, 0, 0, 0];
    let mut res: u64 = 0;
    // SAFETY: the rotations of rdi by 3+13+61+51 = 128 bits leave it unchanged and
    // `xchg rbx, rbx` is a no-op; valgrind recognises the sequence and reads `args`.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") res,
            out("rdi") _,
            options(nostack),
        );
    }
    let _ = res;
}

/// Marks the bytes of `x` undefined: memcheck now treats them as secret. Pass a slice, not a
/// `&Vec` (that would mark the vector's header, not its contents).
pub(crate) fn poison<T: ?Sized>(x: &T) {
    client_request(
        MAKE_MEM_UNDEFINED,
        (x as *const T).cast::<u8>(),
        size_of_val(x),
    );
}

/// Marks the bytes of `x` defined again, before a result is compared or printed.
pub(crate) fn unpoison<T: ?Sized>(x: &T) {
    client_request(
        MAKE_MEM_DEFINED,
        (x as *const T).cast::<u8>(),
        size_of_val(x),
    );
}
