import Testing
@testable import SegBase
@testable import SegStore
import SegSyntax
@testable import SegEngine

/// The arithmetic kernel splits rows into blocks on every core: an overflow in any block is an
/// error, an overflow in a missing row is not, and every row gets the value a plain loop gives.
@Suite("arithmetic kernel over blocks")
struct ArithmeticKernelTests {
    static let n = 300_000  // above Parallel's threshold: several blocks

    @Test(arguments: [0, n / 3, n / 2 + 17, n - 1])
    func anOverflowInAnyBlockIsAnError(_ at: Int) throws {
        let n = Self.n
        var values = [Int64](repeating: 7, count: n)
        values[at] = Int64.max - 5
        let three = NumberInput(constant: 3, scale: 0)
        let a = NumberInput(Column(name: "a", data: .integer(values), validity: nil, count: n))
        for op in [ArithmeticOperator.multiply, .add] {
            let other = op == .add ? NumberInput(Column(name: "b", data: .integer(values), validity: nil, count: n)) : three
            #expect(throws: ArithmeticOverflow.self, "\(op) at \(at)") {
                try ArithmeticKernel.apply(op, a, other, scale: 0, count: n)
            }
        }
        // The same value in a missing row is no error, and the other rows are computed.
        var valid = Bitmap(count: n, filled: true)
        valid[at] = false
        let b = NumberInput(Column(name: "a", data: .integer(values), validity: valid, count: n))
        let (out, validity) = try ArithmeticKernel.apply(.multiply, b, three, scale: 0, count: n)
        #expect(validity?[at] == false)
        #expect(out.enumerated().allSatisfy { $0.offset == at || $0.element == 21 })
    }

    @Test func blocksGiveThePlainLoopsValues() throws {
        let n = Self.n
        var rng = SystemRandomNumberGenerator()
        let x = (0..<n).map { _ in Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng) }
        let y = (0..<n).map { _ in Int64.random(in: -1_000_000...1_000_000, using: &rng) }
        let a = NumberInput(Column(name: "x", data: .decimal(x, scale: 2), validity: nil, count: n))
        let b = NumberInput(Column(name: "y", data: .integer(y), validity: nil, count: n))
        let (sum, _) = try ArithmeticKernel.apply(.subtract, a, b, scale: 2, count: n)
        #expect(sum == (0..<n).map { x[$0] - y[$0] * 100 })
        let (product, _) = try ArithmeticKernel.apply(.multiply, a, b, scale: 2, count: n)
        #expect(product == (0..<n).map { x[$0] * y[$0] })
    }
}
