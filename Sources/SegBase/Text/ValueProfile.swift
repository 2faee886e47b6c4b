/// What the loader saw in a text or category column: how many of its values would read as numbers
/// or as dates, and the first that would not, so that a query treating the column as a number can
/// say why it is text (`'assets' is text: 2 of 2,000 values are not numbers, e.g. line 17 '--'`).
public struct ValueProfile: Sendable, Equatable {
    /// A value of the file and where it stands.
    public struct Example: Sendable, Equatable {
        /// The row (0-based) in the table.
        public var row: Int
        /// The line of the file where the value stands (1-based), once the loader has found it.
        public var line: Int?
        /// The value, cut to a readable length.
        public var text: String

        public init(row: Int, line: Int? = nil, text: String) {
            self.row = row
            self.line = line
            self.text = text
        }
    }

    /// Values present (not missing).
    public var present: Int
    /// Values that read as numbers.
    public var numbers: Int
    /// Values that read as dates.
    public var dates: Int
    /// The first present value that is not a number, and the first that is not a date.
    public var notNumber: Example?
    public var notDate: Example?

    public init(present: Int, numbers: Int, dates: Int, notNumber: Example?, notDate: Example?) {
        self.present = present
        self.numbers = numbers
        self.dates = dates
        self.notNumber = notNumber
        self.notDate = notDate
    }

    /// Most values read as numbers (or dates): the column is meant as one, and ordering it as text
    /// would give a wrong answer that looks right.
    public var mostlyNumbers: Bool { numbers > 0 && numbers * 2 >= present }
    public var mostlyDates: Bool { dates > 0 && dates * 2 >= present }

    /// The longest value an example shows, in characters.
    public static let exampleLength = 24

    /// `text` cut to `exampleLength` characters.
    public static func shortened(_ text: String) -> String {
        text.count <= exampleLength ? text : String(text.prefix(exampleLength - 1)) + "…"
    }
}
