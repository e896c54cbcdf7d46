extension Demo {
    /// The sample scenario the demo runs on, `Samples/april-2025-talks.json`, inside the binary
    /// so that `shuttle demo` works from any folder. A test keeps the two identical.
    public static let sampleScenario = #"""
        {
          "format": "shuttle-scenario/1",
          "name": "Muscat and Rome, April 2025: the nuclear file",
          "note": "ILLUSTRATIVE. The agenda follows the press reports of the Oman-mediated Iran-US talks of April 2025 (nuclear-only, indirect). Every weight, value and red line below was written for Shuttle's sample and says nothing about any real government's positions.",
          "issues": [
            {"name": "enrichment ceiling", "options": ["no enrichment", "3.67%", "5%", "20%", "60%"]},
            {"name": "enriched stockpile", "options": ["shipped abroad", "down-blended", "capped at 300 kg", "capped at 1,000 kg", "no cap"]},
            {"name": "verification access", "options": ["Additional Protocol plus snap inspections", "Additional Protocol", "JCPOA-level monitoring", "safeguards only"]},
            {"name": "sanctions relief", "options": ["full lifting", "phased lifting", "oil and banking waivers", "limited waivers", "none"]},
            {"name": "duration", "options": ["5 years", "10 years", "15 years", "25 years", "permanent"]}
          ],
          "parties": [
            {
              "name": "United States",
              "preferences": {
                "enrichment ceiling": {"weight": 0.35, "values": {"no enrichment": 1.0, "3.67%": 0.6, "5%": 0.4, "20%": 0.1, "60%": 0.0}},
                "enriched stockpile": {"weight": 0.2, "values": {"shipped abroad": 1.0, "down-blended": 0.85, "capped at 300 kg": 0.6, "capped at 1,000 kg": 0.25, "no cap": 0.0}},
                "verification access": {"weight": 0.2, "values": {"Additional Protocol plus snap inspections": 1.0, "Additional Protocol": 0.75, "JCPOA-level monitoring": 0.55, "safeguards only": 0.1}},
                "sanctions relief": {"weight": 0.1, "values": {"full lifting": 0.0, "phased lifting": 0.45, "oil and banking waivers": 0.6, "limited waivers": 0.85, "none": 1.0}},
                "duration": {"weight": 0.15, "values": {"5 years": 0.1, "10 years": 0.35, "15 years": 0.6, "25 years": 0.85, "permanent": 1.0}}
              },
              "reservationValue": 0.5,
              "forbidden": {"enrichment ceiling": ["20%", "60%"], "verification access": ["safeguards only"]}
            },
            {
              "name": "Iran",
              "preferences": {
                "enrichment ceiling": {"weight": 0.3, "values": {"no enrichment": 0.0, "3.67%": 0.7, "5%": 0.85, "20%": 0.95, "60%": 1.0}},
                "enriched stockpile": {"weight": 0.1, "values": {"shipped abroad": 0.1, "down-blended": 0.5, "capped at 300 kg": 0.7, "capped at 1,000 kg": 0.9, "no cap": 1.0}},
                "verification access": {"weight": 0.1, "values": {"Additional Protocol plus snap inspections": 0.1, "Additional Protocol": 0.6, "JCPOA-level monitoring": 0.8, "safeguards only": 1.0}},
                "sanctions relief": {"weight": 0.4, "values": {"full lifting": 1.0, "phased lifting": 0.75, "oil and banking waivers": 0.55, "limited waivers": 0.2, "none": 0.0}},
                "duration": {"weight": 0.1, "values": {"5 years": 1.0, "10 years": 0.8, "15 years": 0.55, "25 years": 0.2, "permanent": 0.0}}
              },
              "reservationValue": 0.45,
              "forbidden": {"enrichment ceiling": ["no enrichment"], "sanctions relief": ["none"]}
            }
          ]
        }
        """#
}
