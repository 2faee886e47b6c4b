print("seg")
